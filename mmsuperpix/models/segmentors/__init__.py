from .cds_segmentor import CDSSegmentor
from .neuralef_segmentor import NeuralEFSegmentor
from .semi_supervised_segmentor import SemiSupervisedSegmentor
from .superpixel_segmentor import SuperpixelSegmentor
from .teacher_student_base import TeacherStudentBase

__all__ = ['CDSSegmentor', 'NeuralEFSegmentor', 'SemiSupervisedSegmentor',
           'SuperpixelSegmentor', 'TeacherStudentBase']
